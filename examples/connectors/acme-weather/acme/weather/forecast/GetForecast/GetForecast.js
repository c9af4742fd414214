'use strict';

module.exports = {
    async receive(context) {
        const { city, days = 1 } = context.messages.in.content;
        const res = await context.httpRequest({
            url: 'https://api.weather.acme.example/v1/forecast',
            params: { city, days },
            headers: { 'X-Api-Key': context.auth.apiKey }
        });
        return context.sendJson({
            city,
            temperature: res.data.temperature,
            summary: res.data.summary
        }, 'out');
    }
};
