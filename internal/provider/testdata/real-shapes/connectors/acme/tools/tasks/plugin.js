'use strict';
module.exports = async context => { context.log('info', 'tasks plugin'); };
