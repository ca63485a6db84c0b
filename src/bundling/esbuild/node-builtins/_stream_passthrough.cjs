module.exports = (0, require)("_stream_passthrough");
