"""What a failing cache raises.

The cache is an optimisation and a shared counter, never the only copy of
anything: callers catch these, log, and carry on without it."""

from redis.exceptions import RedisError

# OSError: a socket that fails below the Redis client's own error handling.
CACHE_ERRORS = (RedisError, OSError)
