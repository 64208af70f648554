// The concurrency lessons (`skein lab`) live here.
