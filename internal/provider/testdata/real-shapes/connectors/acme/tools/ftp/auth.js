'use strict';
module.exports = {
    type: 'pwd',
    definition: {
        auth: { host: { type: 'text', name: 'Host' } },
        accountNameFromProfileInfo(context) { return context.host; }
    }
};
