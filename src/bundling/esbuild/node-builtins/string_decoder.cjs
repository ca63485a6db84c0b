module.exports = (0, require)("node:string_decoder");
