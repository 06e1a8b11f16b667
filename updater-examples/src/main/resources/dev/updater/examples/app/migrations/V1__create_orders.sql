-- 1.0.0: the orders table and a few orders to start with
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer TEXT NOT NULL,
  item TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO orders (customer, item) VALUES ('Ada', 'keyboard');
INSERT INTO orders (customer, item) VALUES ('Grace', 'monitor');
INSERT INTO orders (customer, item) VALUES ('Linus', 'laptop');
