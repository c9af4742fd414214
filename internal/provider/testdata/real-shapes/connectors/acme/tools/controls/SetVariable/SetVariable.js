'use strict';
module.exports = { async receive(context) { return context.sendJson(context.messages.in.content.variables, 'out'); } };
