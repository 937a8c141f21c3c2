/* The order page: waits for the payment on the order's channel; the status endpoint covers the socket's gaps. */
(function () {
  'use strict';
  var root = document.getElementById('order');
  var channel = root.dataset.channel;
  var statusUrl = root.dataset.statusUrl;
  var badge = document.getElementById('status-badge');
  var live = document.getElementById('live');
  var LABELS = { PENDING: 'Waiting for payment', PAID: 'Paid', FAILED: 'Payment declined', EXPIRED: 'Expired' };
  var current = null;
  var socket = null;
  var clock = null;
  var fallback = HeraldPush.poller(refresh, 3000);

  function show(status) {
    if (status === current) return;
    current = status;
    badge.textContent = LABELS[status] || status;
    badge.className = 'badge ' + status.toLowerCase();
    badge.dataset.status = status;
    ['pending', 'paid', 'failed', 'expired'].forEach(function (name) {
      document.getElementById('panel-' + name).hidden = name !== status.toLowerCase();
    });
    if (status !== 'PENDING') { // a final state: nothing more to wait for
      root.dataset.shownAt = String(Date.now()); // when the page learnt it (the tests compare it with the payment)
      fallback.stop();
      if (clock) clock.stop();
      if (socket) socket.close();
      live.hidden = true;
      document.getElementById('next-pending').hidden = true;
      document.getElementById('next-paid').hidden = status !== 'PAID';
    }
  }

  function refresh() {
    return fetch(statusUrl, { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body) show(body.status); })
      .catch(function () { /* offline too: the next attempt will tell */ });
  }

  show(root.dataset.status);
  if (current !== 'PENDING') return;

  clock = HeraldPush.countdown(document.getElementById('countdown'), Number(root.dataset.expiresInMs), refresh);
  socket = HeraldPush.watch({
    channel: channel,
    events: {
      'order.paid': function () { show('PAID'); },
      'order.failed': function () { show('FAILED'); }
    },
    onLive: function () {
      fallback.stop();
      HeraldPush.setLive(live, 'on', 'Live updates on');
      refresh(); // whatever happened before the subscription was live (or while reconnecting)
    },
    onDown: function () {
      HeraldPush.setLive(live, 'down', 'Reconnecting… checking the payment every few seconds');
      fallback.start();
    },
    onError: function () {
      HeraldPush.setLive(live, 'down', 'Live updates unavailable; checking every few seconds');
      fallback.start();
    }
  });
})();
