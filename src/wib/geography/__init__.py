"""Where things are in Belgium: municipalities, postcodes and the authority competent for each."""
