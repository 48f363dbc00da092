-- getRender (query): the newest finished render of (template, row, variant).
-- params: @template_id, @row_key, @variant
SELECT * FROM renders WHERE template_id = @template_id AND row_key = @row_key AND variant = @variant;
