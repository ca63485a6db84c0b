module.exports = (0, require)("node:path/win32");
