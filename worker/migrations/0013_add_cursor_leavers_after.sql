-- Where a filtered table's pass stands in removing the records that left its filter (issue 17): read in Id order and
-- checkpointed with each page, so the removal after a filter change (every record outside the new filter) resumes
-- after an invocation ends or a crash instead of starting over. NULL: not begun this pass; an Id: the last one
-- applied; 'done': all applied, the pass's own pages go on.
ALTER TABLE sync_cursors ADD COLUMN leavers_after TEXT;
