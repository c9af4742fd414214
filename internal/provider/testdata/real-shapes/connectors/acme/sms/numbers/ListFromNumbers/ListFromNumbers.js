'use strict';
module.exports = {
    async receive(context) { return context.sendJson([], 'numbers'); },
    toSelectArray(numbers) { return numbers.map(n => ({ label: n, value: n })); }
};
