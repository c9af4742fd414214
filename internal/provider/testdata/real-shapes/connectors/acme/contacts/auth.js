'use strict';
module.exports = {
    type: 'oauth2',
    definition: { scope: ['contacts'], authUrl: 'https://contacts.acme.example/oauth' }
};
