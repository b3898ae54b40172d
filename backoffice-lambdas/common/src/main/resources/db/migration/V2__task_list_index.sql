-- Keyset pagination of task lists orders by (created_at DESC, id DESC).
CREATE INDEX tasks_created ON tasks (created_at DESC, id DESC);
CREATE INDEX tasks_route ON tasks (route_id, status);
