-- Signing key rotation. A pool's keys are numbered in the order they were added (`generation`, 1 for the key made
-- with the pool): the highest signs every new token (the active key), the others still verify tokens and stay in
-- the JWKS until they are retired (`retired_at` set). The active key is never retired, so "the newest key" and
-- "the newest key not retired" are the same key. The unique index makes two keys added at once conflict rather
-- than share a number.
ALTER TABLE signing_keys ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE signing_keys ADD COLUMN retired_at TIMESTAMPTZ; -- NULL while the key verifies

-- Number the existing keys in the order the store listed them before (newest created_at first, then kid), so the
-- key that signed before this migration still signs after it.
UPDATE signing_keys SET generation = (
    SELECT COUNT(*) FROM signing_keys other
    WHERE other.pool_id = signing_keys.pool_id
      AND (other.created_at < signing_keys.created_at
           OR (other.created_at = signing_keys.created_at AND other.kid >= signing_keys.kid))
);
CREATE UNIQUE INDEX signing_keys_generation ON signing_keys (pool_id, generation);
