import Foundation

/// The cases of `HostileInputTests`, by kind of input.
extension HostileInputTests {
    static let flagCases: [Case] = [
        train("empty seeds", ["--seeds", ""], ["--seeds", "the list is empty"]),
        train("duplicate seeds", ["--seeds", "20,20"], ["--seeds", "'20' is given twice"]),
        train("empty seed entry", ["--seeds", "20,,25"], ["--seeds", "item 2", "is empty"]),
        train("negative seed", ["--seeds=-1"], ["--seeds", "not a seed"]),
        train("word seed", ["--seeds", "twenty"], ["--seeds", "'twenty' is not a seed"]),
        train("empty method", ["--method", ""], ["--method", "the list is empty"]),
        train("duplicate method", ["--method", "nofed,nofed"], ["--method", "given twice"]),
        train("duplicate method in another case", ["--method", "NoFed,nofed"], ["--method", "given twice"]),
        train("unknown method", ["--method", "fedavg"], ["unknown method 'fedavg'"]),
        train("duplicate interval", ["--interval", "5,5"], ["--interval", "given twice"]),
        train("zero interval", ["--interval", "0"], ["--interval", "not a positive whole number"]),
        train("negative interval", ["--interval=-3"], ["--interval", "not a positive whole number"]),
        train(
            "interval beyond the episodes", ["--interval", "50", "--episodes", "10"],
            ["interval 50 is larger than the 10 episodes"]),
        train(
            "dpa interval beyond the episodes", ["--method", "nofed,dpa", "--interval", "20", "--episodes", "10"],
            ["interval 20", "dpa"]),
        train("zero episodes", ["--episodes", "0"], ["--episodes must be positive"]),
        train("negative episodes", ["--episodes=-5"], ["--episodes must be positive"]),
        train("absurd episodes", ["--episodes", "99999999999"], ["episodes must be in 1...10000000"]),
        train("word episodes", ["--episodes", "ten"], ["--episodes", "ten"]),
        train("negative checkpoint interval", ["--checkpoint-every=-1"], ["--checkpoint-every must be 0"]),
        train("negative save interval", ["--save-every=-1"], ["--save-every must be 0"]),
        train("zero threads", ["--threads", "0"], ["--threads must be in 1...4096"]),
        train("zero loops", ["--loops", "0"], ["loops must be in 1...1000"]),
        train("huge loops", ["--loops", "5000"], ["loops must be in 1...1000"]),
        train("zero part size", ["--part-size", "0"], ["part size must be in"]),
        train("unknown environment", ["--env", "Pong-v5"], ["unknown environment 'Pong-v5'"]),
        train(
            "unknown public-state method", ["--public-states", "auto", "--public-states-method", "kmeans"],
            ["--public-states-method must be"]),
        train("participation above one", ["--participation", "1.5"], ["--participation", "(0, 1]"]),
        train("certain dropout", ["--dropout-probability", "1"], ["--dropout-probability", "[0, 1)"]),
        train("adversary out of range", ["--adversarial-agents", "11"], ["agent 11", "out of range"]),
        train("adversary twice", ["--adversarial-agents", "1,1"], ["--adversarial-agents", "twice"]),
        train("trimmed share too large", ["--aggregation", "trimmed:0.7"], ["--aggregation"]),
        train(
            "federation choice without fedhpd", ["--method", "nofed", "--aggregation", "median"],
            ["apply to --method fedhpd"]),
        train("unknown BLAS kernels", ["--blas-core", "Pentium"], ["--blas-core"]),
        train(
            "unknown divergence policy", ["--on-divergence", "ignore"],
            ["--on-divergence", "'ignore' is not stop or exclude"]),
    ]

    static let configurationCases: [Case] = [
        config("config: typo in a key", #"{"episode": 30}"#, ["unknown key 'episode'", "did you mean 'episodes'?"]),
        config(
            "config: flag spelling of a key", #"{"public-states": "auto"}"#,
            ["unknown key 'public-states'", "did you mean 'publicStates'?"]),
        config("config: agent setting in a run file", #"{"gamma": 0.9}"#, ["unknown key 'gamma'"]),
        config("config: huge episodes", #"{"episodes": 1e23}"#, ["'episodes'", "not a whole number"]),
        config("config: episodes as a word", #"{"episodes": "ten"}"#, ["'episodes'", "'ten' is not a whole number"]),
        config("config: duplicate seeds array", #"{"seeds": [20, 20]}"#, ["'seeds'", "given twice"]),
        config("config: empty seeds array", #"{"seeds": []}"#, ["'seeds'", "the list is empty"]),
        config(
            "config: duplicate methods in two cases", #"{"method": ["fedhpd", "FEDHPD"]}"#, ["'method'", "given twice"]),
        config("config: zero interval", #"{"interval": 0}"#, ["'interval'", "not a positive whole number"]),
        configurationOnly(
            "config: interval beyond the episodes", #"{"interval": 9, "episodes": 4}"#,
            ["interval 9 is larger than the 4 episodes"]),
        configurationOnly("config: zero threads", #"{"threads": 0}"#, ["--threads must be in 1...4096"]),
        configurationOnly(
            "config: zero loops", #"{"episodes": 4, "interval": 2, "loops": 0}"#, ["loops must be in 1...1000"]),
        config(
            "config: unknown divergence policy", #"{"onDivergence": "ignore"}"#,
            ["'onDivergence'", "not stop or exclude"]),
        config("config: syntax error", "{\n  \"seeds\": x\n}", ["run.json:2:", "not valid JSON"]),
        config("config: trailing comma", #"{"seeds": [1, 2,]}"#, ["run.json:1:16:", "trailing comma"]),
        config("config: not an object", "[1, 2]", ["--config", "run.json"]),
        config("config: empty file", "", ["--config", "not valid JSON"]),
        command(
            "missing configuration file", ["train", "--config", "{root}/none.json", "--out", "{root}/out"],
            ["--config", "none.json", "no such file"]),
        command(
            "configuration file is a folder", ["train", "--config", "{root}/folder", "--out", "{root}/out"],
            ["--config", "folder"], files: ["folder/": ""]),
    ]

    static let agentCases: [Case] = [
        agents(
            "typo in an agent key", "[\(agent.replacingOccurrences(of: "learningRate", with: "learnigRate"))}]",
            ["unknown key 'learnigRate'", "did you mean 'learningRate'?"]),
        agents("discount far above one", "[\(agent), \"gamma\": 1e300}]", ["agent 1", "gamma must be in (0, 1]"]),
        agents("zero discount", "[\(agent), \"gamma\": 0}]", ["gamma must be in (0, 1]"]),
        agents(
            "learning rate above one", #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 5}]"#,
            ["learningRate must be in (0, 1]"]),
        agents(
            "negative learning rate", #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": -0.1}]"#,
            ["learningRate must be"]),
        agents("weight decay of two", "[\(agent), \"weightDecay\": 2}]", ["weightDecay must be in [0, 1)"]),
        agents("scheduler factor zero", "[\(agent), \"schedulerGamma\": 0}]", ["schedulerGamma must be in (0, 1]"]),
        agents(
            "zero-width layer", #"[{"hiddenSizes": [0], "activation": "relu", "learningRate": 0.01}]"#,
            ["hidden sizes must be in"]),
        agents("empty agent list", "[]", ["the array is empty"]),
        agents("one object, not an array", "\(agent)}", ["--agents", "agents.json"]),
        agents(
            "typo inside a2c", "[\(agent), \"algorithm\": \"a2c\", \"a2c\": {\"gama\": 0.9}}]",
            ["entry 1.a2c", "unknown key 'gama'", "did you mean 'gamma'?"]),
        agents(
            "unknown activation", #"[{"hiddenSizes": [8], "activation": "sigmoidal", "learningRate": 0.01}]"#,
            ["--agents", "activation"]),
        agents("agents trailing comma", "[\(agent)},\n]", ["agents.json:1:", "trailing comma"]),
        agents("agents syntax error", "[\n\(agent),\n  \"gamma\" 0.9}]", ["agents.json:3:", "not valid JSON"]),
        command(
            "missing agents file", ["train", "--agents", "{root}/none.json", "--out", "{root}/out"],
            ["--agents", "none.json", "cannot be read"]),
    ]

    static let stateCases: [Case] = [
        states(
            "ragged public states", "State\n\"1,2,3,4\"\n\"1,2,3\"\n", ["states.csv:3", "has 3 values, expected 4"]),
        states("public states of another width", "s0,s1,s2\n1,2,3\n", ["expected 4"]),
        states("a word in the public states", "s0,s1,s2,s3\n1,2,x,4\n", ["states.csv:2:3", "'x' is not a number"]),
        states("empty public states", "", ["holds no states"]),
        states("infinite public state", "s0,s1,s2,s3\n1,2,inf,4\n", ["states.csv:2:3", "not finite"]),
        train(
            "public states is a folder", ["--public-states", "{root}/folder"], ["--public-states", "folder"],
            files: ["folder/": ""]),
    ]

    static let pathCases: [Case] = [
        command(
            "--out is a file", ["train", "--method", "nofed", "--episodes", "2", "--out", "{root}/file"],
            ["--out", "is a file, not a folder"], files: ["file": "x"]),
        command(
            "--out below a file", ["train", "--method", "nofed", "--episodes", "2", "--out", "{root}/file/runs"],
            ["--out", "file is a file, not a folder"], files: ["file": "x"]),
        train("missing initial policies", ["--init-policies", "{root}/none"], ["--init-policies"]),
    ]

    static let resumeCases: [Case] = [
        resume("resume with other episodes", ["--episodes", "9"], ["--episodes", "episodes (4 vs 9)"]),
        resume("resume with two intervals", ["--interval", "10,20"], ["--interval", "NoFed"]),
        resume("resume with other seeds", ["--seeds", "21,22"], ["--seeds", "seed (3 vs 21,22)"]),
        resume("resume with other agents", ["--agents", "paper"], ["--agents paper", "the run has 2 agent(s)"]),
        resume("resume with another --out", ["--out", "{root}/elsewhere"], ["--out", "output root"]),
        resume(
            "resume with public states", ["--public-states", "{fixtures}/states.csv"],
            ["--public-states", "uses no public states"]),
        resume("resume with another method", ["--method", "fedhpd"], ["--method", "method (nofed vs fedhpd)"]),
        resume(
            "resume with another environment", ["--env", "LunarLander-v3"],
            ["--env", "environment (CartPole-v1 vs LunarLander-v3)"]),
        resume(
            "resume with a configuration file", ["--config", "{root}/run.json"], ["--loops", "loops (5 vs 3)"],
            files: ["run.json": #"{"loops": 3}"#]),
        resume(
            "resume with another divergence policy", ["--on-divergence", "exclude"],
            ["--on-divergence", "onDivergence (stop vs exclude)"]),
        resume(
            "resume with a federation choice", ["--aggregation", "median"],
            ["--aggregation", "takes no federation choices"]),
        command(
            "resume a missing run", ["train", "--resume", "{root}/none"], ["--resume", "no readable config.json"]),
    ]

    static let compareCases: [Case] = [
        copied(
            "compare a run and its copy",
            ["compare", "{fixtures}/runs/CartPole-v1__nofed__seed3", "{root}/copy", "--svg", "{root}/out"],
            ["counted twice"]),
        copied(
            "compare a truncated run", ["compare", "{root}/copy", "--svg", "{root}/out"],
            ["rewards.csv", "1 episode rows"], files: ["copy/rewards.csv": "Agent 1,Agent 2\n1.0,2.0\n"]),
        copied(
            "compare an empty rewards file", ["compare", "{root}/copy", "--svg", "{root}/out"], ["rewards.csv"],
            files: ["copy/rewards.csv": ""]),
        copied(
            "compare a run without its summary", ["compare", "{root}/copy", "--svg", "{root}/out"], ["summary"],
            removing: ["copy/summary.json"]),
        command(
            "compare an empty folder", ["compare", "{root}/empty", "--svg", "{root}/out"], ["holds no run folder"],
            files: ["empty/": ""]),
        command("compare a missing folder", ["compare", "{root}/none", "--svg", "{root}/out"], ["none"]),
        command(
            "compare with an unknown baseline",
            ["compare", "{fixtures}/runs", "--baseline", "fedavg", "--svg", "{root}/out"], ["fedavg"]),
    ]

    static let publicStateCases: [Case] = [
        command(
            "more states than the pool",
            ["public-states", "--count", "1000000", "--virtual-agent-episodes", "2", "--out", "{root}/out"],
            ["--count", "larger than the rollout pool"]),
        command("zero states", ["public-states", "--count", "0", "--out", "{root}/out"], ["--count must be positive"]),
        command(
            "public-states --out is a folder",
            ["public-states", "--count", "10", "--virtual-agent-episodes", "2", "--out", "{root}/folder"],
            ["--out", "is a folder, not a file"], files: ["folder/": ""]),
        command(
            "public-states --out below a file",
            ["public-states", "--count", "10", "--virtual-agent-episodes", "2", "--out", "{root}/file/states.csv"],
            ["--out", "is a file, not a folder"], files: ["file": "x"]),
        command(
            "unknown selection", ["public-states", "--selection", "best", "--out", "{root}/out"],
            ["--selection must be"]),
        command(
            "one virtual-agent episode", ["public-states", "--virtual-agent-episodes", "1", "--out", "{root}/out"],
            ["--virtual-agent-episodes must be at least 2"]),
    ]
}
