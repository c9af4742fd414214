'use strict';
module.exports = { async receive(context) { return context.sendJson({ status: 'ready', count: 0 }, 'out'); } };
