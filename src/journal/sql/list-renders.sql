-- listRenders (query): every newest render of a template.
-- params: @template_id
SELECT * FROM renders WHERE template_id = @template_id ORDER BY row_key, variant;
