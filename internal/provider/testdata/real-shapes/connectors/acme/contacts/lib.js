'use strict';
module.exports = { baseUrl: 'https://contacts.acme.example/v1' };
