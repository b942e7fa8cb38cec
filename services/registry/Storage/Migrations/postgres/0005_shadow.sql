-- Shadow rollouts: the share of stable's requests mirrored to the shadow route lives on the deployment (null unless
-- the deployment is a shadow), and a shadow rollout's settings and running tallies live with the rollout.
ALTER TABLE deployments ADD COLUMN mirror_percent BIGINT;
ALTER TABLE rollouts ADD COLUMN shadow_json TEXT;
