'use strict';
module.exports = { contact: { type: 'object' } };
