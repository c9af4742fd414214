'use strict';
const zones = require('./timezones.json');
module.exports = { async receive(context) { return context.sendJson(zones, 'out'); } };
