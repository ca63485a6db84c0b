module.exports = (0, require)("_http_outgoing");
