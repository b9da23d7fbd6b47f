"""Pages for regional and Immigration Office officials: the queue, a file, the decisions."""
