-- 1.1.0: orders get a priority; existing orders become 'normal'
ALTER TABLE orders ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
