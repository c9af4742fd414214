'use strict';

// A polling trigger: each tick fetches the alerts and sends only those not seen before,
// remembering the ids in the component's state.
module.exports = {
    async tick(context) {
        const { city } = context.properties;
        const res = await context.httpRequest({
            url: 'https://api.weather.acme.example/v1/alerts',
            params: { city },
            headers: { 'X-Api-Key': context.auth.apiKey }
        });
        const seen = new Set(await context.loadState().then(s => (s && s.seen) || []));
        for (const alert of res.data.alerts) {
            if (!seen.has(alert.id)) {
                await context.sendJson({ id: alert.id, severity: alert.severity, headline: alert.headline }, 'out');
                seen.add(alert.id);
            }
        }
        await context.saveState({ seen: Array.from(seen).slice(-500) });
    }
};
