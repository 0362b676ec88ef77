-- A trigger whose body has semicolons of its own.
CREATE TABLE a (x INTEGER);
CREATE TRIGGER a_no_delete BEFORE DELETE ON a
BEGIN
    SELECT RAISE(ABORT, 'rows of a are kept; always');
END;
INSERT INTO a (x) VALUES (1);
