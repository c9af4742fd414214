'use strict';
module.exports = { async receive(context) { return context.sendJson({ messageId: '1' }, 'sent'); } };
