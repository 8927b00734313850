-- Sweeps: a parent run's hyperparameter search (grid or random) over child training runs, and the
-- best child by the chosen metric. Runs already carry parent_run_id; this adds the sweep itself.

-- CreateTable
CREATE TABLE "sweep" (
    "run_id" UUID NOT NULL,
    "job_record_id" UUID NOT NULL,
    "strategy" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "goal" TEXT NOT NULL,
    "max_parallel" INTEGER NOT NULL,
    "space" JSONB NOT NULL,
    "trials" JSONB NOT NULL,
    "trial_count" INTEGER NOT NULL,
    "completed_trials" INTEGER NOT NULL DEFAULT 0,
    "failed_trials" INTEGER NOT NULL DEFAULT 0,
    "best_child_run_id" UUID,
    "best_metric" DOUBLE PRECISION,
    "best_params" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "sweep_pkey" PRIMARY KEY ("run_id"),
    CONSTRAINT "sweep_strategy_check" CHECK ("strategy" IN ('GRID', 'RANDOM')),
    CONSTRAINT "sweep_goal_check" CHECK ("goal" IN ('MAXIMIZE', 'MINIMIZE')),
    CONSTRAINT "sweep_max_parallel_check" CHECK ("max_parallel" >= 1),
    CONSTRAINT "sweep_trial_count_check" CHECK ("trial_count" >= 1)
);

-- CreateIndex
CREATE UNIQUE INDEX "sweep_job_record_id_key" ON "sweep"("job_record_id");

-- AddForeignKey (the runs are the record; a sweep row only describes them)
ALTER TABLE "sweep" ADD CONSTRAINT "sweep_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sweep" ADD CONSTRAINT "sweep_best_child_run_id_fkey" FOREIGN KEY ("best_child_run_id") REFERENCES "run"("id") ON DELETE SET NULL ON UPDATE CASCADE;
