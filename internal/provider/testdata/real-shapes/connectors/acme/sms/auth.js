'use strict';
module.exports = {
    type: 'apiKey',
    definition: () => ({
        tokenType: 'authentication-token',
        auth: { authId: { type: 'text', name: 'Auth ID' }, authToken: { type: 'password', name: 'Auth Token' } },
        accountNameFromProfileInfo: 'authId'
    })
};
