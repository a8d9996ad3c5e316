-- The training orchestrator's database, beside the model registry's (POSTGRES_DB); both owned by the sextant user.
CREATE DATABASE training_orchestrator OWNER sextant;
