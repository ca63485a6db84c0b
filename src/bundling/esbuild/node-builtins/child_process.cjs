module.exports = (0, require)("node:child_process");
