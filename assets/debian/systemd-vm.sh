#!/usr/bin/env bash
# rankwall.service under a real systemd (issue #13, "systemd for real"): a
# Debian 12 root made by debootstrap, booted as a virtual machine with its own
# kernel (qemu), with the package installed and
# a headless demo. Inside, check-inside.sh checks that the unit becomes
# active only after the first frame (Type=notify, READY=1), that a frozen
# screen thread is restarted by the watchdog, that SIGKILL is followed by a
# restart (Restart=always), and that a stop is clean. CI machines have no
# systemd as PID 1 (containers), so this is a script run by hand:
#
#   cargo deb -- --features test-hooks && sudo assets/debian/systemd-vm.sh target/debian/rankwall_*.deb
#
# (the freeze hook it uses is compiled only with the `test-hooks` feature)
#
# Needs root, debootstrap, qemu-system-x86, e2fsprogs and a Debian mirror:
# RANKWALL_VM_MIRROR when set, else the first Debian mirror in this machine's
# own apt sources (a host written here would be wrong wherever it is blocked);
# the root (about 1 GB) is kept in $RANKWALL_VM_DIR (default
# /var/tmp/rankwall-vm) and reused. Exit status 0 when every check passed.
set -euo pipefail
DEB="$(realpath "${1:?give the .deb built by cargo deb}")"
HERE="$(cd "$(dirname "$0")" && pwd)"
VM="${RANKWALL_VM_DIR:-/var/tmp/rankwall-vm}"; ROOT="$VM/root"; IMG="$VM/disk.img"
mkdir -p "$VM"
# The mirror: the variable, else the machine's apt sources (one-line or deb822).
mirror() {
  if [ -n "${RANKWALL_VM_MIRROR:-}" ]; then echo "$RANKWALL_VM_MIRROR"; return; fi
  local found
  found="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\//) { print $i; exit } }')"
  [ -n "$found" ] || found="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | awk '$1 == "URIs:" && $2 ~ /debian\/?$/ { print $2; exit }')"
  [ -n "$found" ] || { echo "no Debian mirror in /etc/apt: set RANKWALL_VM_MIRROR=http://…/debian" >&2; exit 1; }
  echo "$found"
}
if [ ! -e "$ROOT/etc/debian_version" ]; then
  MIRROR="$(mirror)"
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,mesa-vulkan-drivers,libvulkan1,adduser,curl,ca-certificates,iproute2,procps \
    bookworm "$ROOT" "$MIRROR"
fi
# The package, as `dpkg -i` installs it on a screen.
cp "$DEB" "$ROOT/tmp/rankwall.deb"
chroot "$ROOT" dpkg -i /tmp/rankwall.deb
# A headless demo (no display, no network in the VM): the embedded demo
# config and feed, a small offscreen frame, the test hook, a short watchdog.
mkdir -p "$ROOT/etc/systemd/system/rankwall.service.d"
cat > "$ROOT/etc/systemd/system/rankwall.service.d/vm.conf" <<UNIT
[Service]
ExecStart=
ExecStart=/usr/bin/rankwall run --headless --size 640x360 --cache-dir /var/cache/rankwall --status-addr 127.0.0.1:9470
Environment=RANKWALL_TEST_HOOKS=freeze-on-sigusr2
WatchdogSec=20
UNIT
install -m 0755 "$HERE/systemd-vm/check-inside.sh" "$ROOT/usr/local/bin/rankwall-vm-check"
cat > "$ROOT/etc/systemd/system/rankwall-vm-check.service" <<UNIT
[Unit]
Description=rankwall systemd checks (the VM powers off after them)
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/usr/local/bin/rankwall-vm-check
StandardOutput=journal+console
[Install]
WantedBy=default.target
UNIT
ln -sf /etc/systemd/system/rankwall-vm-check.service "$ROOT/etc/systemd/system/default.target.wants/rankwall-vm-check.service" 2>/dev/null \
  || { mkdir -p "$ROOT/etc/systemd/system/default.target.wants"; ln -sf /etc/systemd/system/rankwall-vm-check.service "$ROOT/etc/systemd/system/default.target.wants/"; }
echo rankwall-vm > "$ROOT/etc/hostname"
rm -f "$IMG"; truncate -s 3G "$IMG"
mkfs.ext4 -q -F -d "$ROOT" "$IMG"
# Software emulation by default: it boots in about 40 s here, where KVM inside
# a container stopped at the kernel's first lines. RANKWALL_VM_KVM=1 asks for KVM.
ACCEL=(-accel tcg); LIMIT=1800
if [ "${RANKWALL_VM_KVM:-0}" = 1 ]; then ACCEL=(-enable-kvm -cpu host); LIMIT=600; fi
LOG="$VM/console.log"
timeout "$LIMIT" qemu-system-x86_64 "${ACCEL[@]}" -m 2048 -smp 2 -nographic -no-reboot -nic none \
  -kernel "$ROOT/vmlinuz" -initrd "$ROOT/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 systemd.show_status=0 quiet" \
  -drive "file=$IMG,format=raw,if=virtio" </dev/null | tee "$LOG" | grep --line-buffered "RANKWALL-VM" || true
grep -q "RANKWALL-VM DONE" "$LOG" || { echo "the checks did not finish: see $LOG" >&2; exit 1; }
! grep -q "RANKWALL-VM FAIL" "$LOG"
