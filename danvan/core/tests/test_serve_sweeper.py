from unittest import mock

from danvan.core.management.commands import serve


def test_each_periodic_job_runs_its_own_command_once_until_it_ends():
    with mock.patch.object(serve.subprocess, "Popen") as popen:
        popen.return_value.poll.return_value = None  # still running
        sweeper = serve.Sweeper("remind_commitments", 60)
        sweeper.tick()
        sweeper.next_at = 0  # due again, but the first run has not ended
        sweeper.tick()
    assert popen.call_count == 1
    assert popen.call_args.args[0][-1] == "remind_commitments"


def test_a_periodic_job_waits_its_turn_before_its_first_run():
    with (
        mock.patch.object(serve.subprocess, "Popen") as popen,
        mock.patch.object(serve.time, "monotonic", return_value=1000.0) as clock,
    ):
        sweeper = serve.Sweeper("train_suggesters", 3600, first_after=25)
        sweeper.tick()  # at start: not yet
        clock.return_value = 1024.9
        sweeper.tick()
        assert popen.call_count == 0
        clock.return_value = 1025.0
        sweeper.tick()
    assert popen.call_count == 1
