// The playground tests measure frame rates and training speed on a 2-core machine: run them one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
