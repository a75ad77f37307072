// The console's one script: drag and drop for the items of the playlist
// form. Each item has a handle (⠿ 拖动); an item dropped on another is put
// before or after it (by which half it lands on), and the hidden field
// `order` tells the server the new order as the form numbered the items
// ("2,0,1"). Nothing else depends on it: without it the ↑/↓ buttons, which
// are also the keyboard's way, move items one place per save.
(function () {
  'use strict';
  var form = document.getElementById('items');
  if (!form) return;
  var order = form.querySelector('input[name=order]');
  var note = document.getElementById('order-note');
  if (!order) return;
  var items = function () {
    return Array.prototype.slice.call(form.querySelectorAll('fieldset.item'));
  };
  var dragged = null;

  function changed() {
    var now = items().map(function (f) { return f.getAttribute('data-index'); });
    order.value = now.join(',');
    var moved = now.some(function (v, i) { return v !== String(i); });
    if (note) note.hidden = !moved;
  }

  items().forEach(function (item) {
    var handle = item.querySelector('.handle');
    if (!handle) return;
    handle.hidden = false;
    handle.setAttribute('draggable', 'true');
    handle.addEventListener('dragstart', function (e) {
      dragged = item;
      item.classList.add('dragging');
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', item.getAttribute('data-index'));
    });
    handle.addEventListener('dragend', function () {
      item.classList.remove('dragging');
      dragged = null;
    });
    item.addEventListener('dragover', function (e) {
      if (dragged && dragged !== item) e.preventDefault();
    });
    item.addEventListener('drop', function (e) {
      if (!dragged || dragged === item) return;
      e.preventDefault();
      var box = item.getBoundingClientRect();
      var after = e.clientY > box.top + box.height / 2;
      item.parentNode.insertBefore(dragged, after ? item.nextSibling : item);
      changed();
    });
  });
})();
