module.exports = (0, require)("_tls_common");
