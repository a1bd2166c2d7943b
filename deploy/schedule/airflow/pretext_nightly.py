"""Airflow DAG: nightly continual SimCLR pretraining with Pretext.

Each night appends the corpus's new partitions to a preprocessed dataset (when the Variable pretext_dataset
is set), trains a new run on it, warm-started from the newest finished run under the runs folder
(deploy/schedule/nightly.sh finds it with `pretext latest`), then evaluates the new encoder with a linear
probe and kNN. A retried task resumes the night's run from its last checkpoint (`--resume auto`).
Airflow Variables: pretext_home (the Pretext checkout on the workers), pretext_master (Spark master URL),
pretext_corpus, pretext_runs_root, pretext_eval_train, pretext_eval_test, pretext_dataset (may be empty).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

NIGHTLY = (
    "PRETEXT_MASTER={{ var.value.pretext_master }} PRETEXT_NIGHTLY_DATE={{ ds }} "
    "PRETEXT_DATASET={{ var.value.get('pretext_dataset', '') }} "
    "{{ var.value.pretext_home }}/deploy/schedule/nightly.sh --only %s "
    "{{ var.value.pretext_corpus }} {{ var.value.pretext_runs_root }} "
    "{{ var.value.pretext_eval_train }} {{ var.value.pretext_eval_test }}"
)

with DAG(
    dag_id="pretext_nightly_simclr",
    description="Nightly continual SimCLR pretraining and evaluation with Pretext",
    schedule="30 1 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "pretext", "retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["pretext", "pretraining"],
) as dag:
    preprocess = BashOperator(
        task_id="preprocess",
        bash_command=NIGHTLY % "preprocess",
        execution_timeout=timedelta(hours=6),
    )
    pretrain = BashOperator(
        task_id="pretrain",
        bash_command=NIGHTLY % "pretrain",
        execution_timeout=timedelta(hours=12),
    )
    evaluate = BashOperator(
        task_id="evaluate",
        bash_command=NIGHTLY % "evaluate",
        execution_timeout=timedelta(hours=2),
    )
    preprocess >> pretrain >> evaluate
