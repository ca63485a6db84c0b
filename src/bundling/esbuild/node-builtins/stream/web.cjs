module.exports = (0, require)("node:stream/web");
