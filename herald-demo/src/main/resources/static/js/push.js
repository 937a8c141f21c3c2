/*
 * Herald from the page: connect socket.io-client to the push server, subscribe to one channel, and keep it
 * subscribed across reconnects. Herald's relay speaks laravel-echo's protocol:
 *   page -> Herald: emit('subscribe', {channel}, ack)   ack {channel, ok:true} once the subscription is live
 *   Herald -> page: emit(<event>, channel, data)
 * onLive(first) runs on every acknowledged subscription (first === true the first time): after a reconnect the page
 * asks the status endpoint what it may have missed while it was away. onDown runs when the socket is unavailable.
 */
(function () {
  'use strict';

  function pushUrl() {
    var meta = document.querySelector('meta[name="herald-push-url"]');
    return meta ? meta.content : location.protocol + '//' + location.hostname + ':6001';
  }

  function watch(options) {
    var socket = io(pushUrl(), { reconnectionDelayMax: 3000 });
    var lives = 0;
    var down = false;

    socket.on('connect', function () {
      socket.emit('subscribe', { channel: options.channel }, function (ack) {
        if (ack && ack.ok) {
          down = false;
          if (options.onLive) options.onLive(lives++ === 0);
        } else if (options.onError) {
          options.onError((ack && ack.error) || 'subscription refused');
        }
      });
    });

    function wentDown() {
      if (down) return;
      down = true;
      if (options.onDown) options.onDown();
    }
    socket.on('disconnect', wentDown);
    socket.on('connect_error', wentDown);
    socket.on('subscription_error', function (channel, status, message) {
      if (channel === options.channel && options.onError) options.onError(status + ' ' + message);
    });

    Object.keys(options.events).forEach(function (name) {
      socket.on(name, function (channel, data) {
        if (channel === options.channel) options.events[name](data);
      });
    });
    window.heraldSocket = socket; // a handle for the browser console (and the tests that cut the connection)
    return socket;
  }

  /* Calls fn every `ms` until stop() is called: the fallback while the socket is down. */
  function poller(fn, ms) {
    var timer = null;
    return {
      start: function () { if (!timer) timer = setInterval(fn, ms); },
      stop: function () { if (timer) { clearInterval(timer); timer = null; } }
    };
  }

  function countdown(element, ms, onDone) {
    var deadline = Date.now() + ms;
    function tick() {
      var left = Math.max(0, deadline - Date.now());
      var s = Math.ceil(left / 1000);
      if (element) element.textContent = Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
      if (left <= 0) { clearInterval(timer); onDone(); }
    }
    var timer = setInterval(tick, 500);
    tick();
    return { stop: function () { clearInterval(timer); } };
  }

  function setLive(element, state, text) {
    if (!element) return;
    element.className = 'live ' + state;
    element.textContent = text;
  }

  window.HeraldPush = { watch: watch, poller: poller, countdown: countdown, setLive: setLive };
})();
