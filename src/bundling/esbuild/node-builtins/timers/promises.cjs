module.exports = (0, require)("node:timers/promises");
