"""WordPress eXtended RSS (WXR 1.0 to 1.2): reading, importing and writing."""
