/*
 * The desktop sign-in page (the tutorial's WeChat scan login): subscribe to this page's private-by-obscurity channel,
 * show the QR code only once the subscription is live (so a fast phone cannot confirm before the page listens),
 * then wait for `wechat.login` with a one-time token and exchange it for a session.
 */
(function () {
  'use strict';
  var root = document.getElementById('login');
  var live = document.getElementById('live');
  var states = ['connecting', 'confirmed', 'expired', 'failed'];
  var done = false;
  var socket = null;
  var clock = null;
  var fallback = HeraldPush.poller(refresh, 3000);

  function overlay(name) {
    states.forEach(function (s) { document.getElementById('state-' + s).hidden = s !== name; });
  }

  function showCode() {
    document.getElementById('qr-image').hidden = false;
    document.getElementById('qr-link').hidden = false;
    overlay(null);
    if (!clock) clock = HeraldPush.countdown(document.getElementById('countdown'), Number(root.dataset.expiresInMs), expired);
  }

  function finish(state) {
    done = true;
    fallback.stop();
    if (clock) clock.stop();
    if (socket) socket.close();
    live.hidden = true;
    document.getElementById('qr-link').hidden = true;
    document.getElementById('or').hidden = true;
    document.getElementById('expiry').hidden = true;
    overlay(state);
  }

  function expired() {
    if (!done) refresh().then(function () { if (!done) finish('expired'); });
  }

  function signIn(token) {
    if (done) return;
    finish('confirmed');
    fetch(root.dataset.exchangeUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token: token })
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok && res.body.redirect) location.assign(res.body.redirect);
        else overlay('failed');
      })
      .catch(function () { overlay('failed'); });
  }

  function refresh() {
    return fetch(root.dataset.statusUrl, { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || done) return;
        if (body.status === 'CONFIRMED' && body.token) signIn(body.token);
        else if (body.status === 'EXPIRED') finish('expired');
        else if (body.status === 'USED') finish('failed');
      })
      .catch(function () { /* offline: try again later */ });
  }

  socket = HeraldPush.watch({
    channel: root.dataset.channel,
    events: { 'wechat.login': function (data) { signIn(data.token); } },
    onLive: function (first) {
      fallback.stop();
      HeraldPush.setLive(live, 'on', 'Waiting for your phone');
      if (first) showCode();
      else refresh(); // a confirmation may have happened while the socket was away
    },
    onDown: function () {
      if (done) return;
      HeraldPush.setLive(live, 'down', 'Reconnecting… checking every few seconds');
      showCode(); // the push server is unreachable: the status endpoint takes over until it is back
      fallback.start();
    },
    onError: function () {
      HeraldPush.setLive(live, 'down', 'Live updates unavailable');
      showCode();
      fallback.start();
    }
  });
})();
