'use strict';
const get = require('lodash.get');
module.exports = { async receive(context) { return context.sendJson({ input: get(context.messages, 'in') }, 'true'); } };
