'use strict';

// API-key authentication: Appmixer asks for the key when the user connects an account
// and passes it to every component as context.auth.apiKey.
module.exports = {
    type: 'apiKey',
    definition: {
        auth: {
            apiKey: {
                type: 'text',
                name: 'API Key',
                tooltip: 'Your Acme Weather API key, from the account settings page.'
            }
        },
        accountNameFromProfileInfo: 'name',
        requestProfileInfo: async context => {
            return { name: 'Acme Weather ' + context.apiKey.slice(-4) };
        },
        validate: async context => {
            const res = await context.httpRequest({
                url: 'https://api.weather.acme.example/v1/me',
                headers: { 'X-Api-Key': context.apiKey }
            });
            return res.status === 200;
        }
    }
};
