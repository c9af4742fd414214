'use strict';
module.exports = { connect() { return {}; } };
