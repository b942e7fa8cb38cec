// Each end-to-end class starts a whole platform of processes; two at once would starve a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
