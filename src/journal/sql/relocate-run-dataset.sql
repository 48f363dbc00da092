-- relocateRunDataset: a dataset file was moved (`reelwright watch` files it from processing/ into done/ or failed/
--   after its run); the runs that read it now name where it is, so that `reproduce` finds it.
-- params: @from, @to
-- preconditions: none; idempotent (running it twice, or for a path no run names, changes nothing more).
-- effects: every run whose dataset is exactly @from names @to.
UPDATE runs SET dataset = @to WHERE dataset = @from;
