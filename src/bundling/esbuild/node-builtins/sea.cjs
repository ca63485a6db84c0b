module.exports = (0, require)("node:sea");
