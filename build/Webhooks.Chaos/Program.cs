using Webhooks.Chaos;

// The load, consumer, receivers and verdict of build/chaos.sh, which starts the instances and injects the faults.
// One mode: run --key value … (ChaosOptions lists the keys). Exit 0 when every check holds, 1 on a violation, 2 on
// a usage error.
if (args.FirstOrDefault() != "run")
{
    Console.Error.WriteLine("usage: Webhooks.Chaos run --api URL,URL --amqp URI --pg CONNECTION --admin-key KEY --publisher-key KEY --secret SECRET --work DIR [--seconds N] [--rate N] [--outbound-rate N] [--receiver-port N] [--receivers N] [--drain-seconds N] [--seed N] [--wait-leases true]");
    return 2;
}

ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args.AsSpan(1));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

return await ChaosRun.RunAsync(options);
