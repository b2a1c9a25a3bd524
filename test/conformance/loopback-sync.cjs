// Preloaded (`node --require`) into the conformance suite, whose scenario servers call
// `listen(0)` (every interface) and read `address().port` on the next line. Binding them to
// 127.0.0.1 the public way (`listen({ port, host })`) would resolve the host first and bind a tick
// later, leaving `address()` null there; so a plain port is bound the way Node binds one without a
// host (synchronously, through the same internal step), only on the loopback address.
'use strict';
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
  const first = args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, ...(typeof args[1] === 'string' ? { host: args[1] } : {}) };
  if (options.path || options.fd !== undefined || options.handle) return listen.apply(this, cb ? [...args, cb] : args);
  if (options.host && options.host !== '0.0.0.0' && options.host !== '::') return listen.apply(this, cb ? [...args, cb] : args);
  if (typeof this._listen2 !== 'function') return listen.call(this, { ...options, host: '127.0.0.1' }, ...(cb ? [cb] : []));
  if (cb) this.once('listening', cb);
  this._listen2('127.0.0.1', Number(options.port ?? 0), 4, options.backlog ?? 511, undefined, 0);
  return this;
};
