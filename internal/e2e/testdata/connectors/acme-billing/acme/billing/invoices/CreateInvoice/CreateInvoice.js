'use strict';

// Echoes the invoice it would create: the Acme Billing API is fictional.
module.exports = {
    async receive(context) {
        const { customer, amount } = context.messages.in.content;
        return context.sendJson({ customer, amount, status: 'created' }, 'out');
    }
};
