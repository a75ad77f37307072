// The console's one script: drag and drop for the items of the playlist
// form, and the live preview of an operator's message (below). Each item has a handle (⠿ 拖动); an item dropped on another is put
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

// The live preview of a message in the playlist form: half a second after
// the title or body changes, the picture is drawn again by the console
// (/preview/message.png, the screens' own drawing); a character no font
// has is named under it at once, as a save would refuse it. Without the
// script the saved message's picture still shows.
(function () {
  'use strict';
  Array.prototype.forEach.call(document.querySelectorAll('[data-preview]'), function (box) {
    var img = box.querySelector('.message-preview img');
    var caption = box.querySelector('.message-preview figcaption');
    var title = box.querySelector('input[name^=msg_title_], input[name=add_message_title]');
    var body = box.querySelector('textarea');
    if (!img || !title || !body) return;
    var said = document.createElement('p');
    said.className = 'error';
    said.hidden = true;
    said.setAttribute('role', 'alert');
    img.parentNode.appendChild(said);
    var timer = null;
    function url() {
      return box.getAttribute('data-preview') + '&title=' + encodeURIComponent(title.value) +
        '&body=' + encodeURIComponent(body.value);
    }
    img.addEventListener('load', function () {
      img.hidden = false;
      said.hidden = true;
    });
    img.addEventListener('error', function () {
      fetch(img.src, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (j) {
        said.textContent = j.error || '无法显示预览。';
        said.hidden = false;
        img.hidden = true;
      });
    });
    function redraw() {
      if (!title.value.trim() && !body.value.trim()) return;
      if (caption) caption.textContent = '屏幕上的样子（1920×1080），随输入更新';
      img.src = url();
    }
    [title, body].forEach(function (field) {
      field.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(redraw, 500);
      });
    });
  });
})();
