# Independent reference counts for the strace fixtures (per-pid fd tables, unfinished joined).
import re,sys,collections
for fn in sys.argv[1:]:
    pend={}; fds={}; c=collections.Counter(); nbytes=0
    for l in open(fn).read().split('\n'):
        if not l: continue
        m=re.match(r'^(\d+) +(\S+) (.*)$',l)
        if m and ':' in m.group(2): pid,rest=m.group(1),m.group(3)
        else: pid,rest='0',l.split(' ',1)[1]
        if rest.startswith(('+++','---')): continue
        if rest.endswith('<unfinished ...>'): pend[pid]=rest[:-17]; continue
        if rest.startswith('<...'): rest=pend.pop(pid)+rest[rest.index('>')+1:]
        name=rest[:rest.index('(')]; ret=rest.rsplit(' = ',1)[1].split()[0]
        if ret.startswith('-'): continue
        args=rest[rest.index('(')+1:rest.rindex(')')]
        if name=='openat': fds[(pid,int(ret))]=1; c['open']+=1
        elif name=='read':
            fd=int(args.split(',')[0])
            if (pid,fd) in fds and int(ret)>0: c['read']+=1; nbytes+=int(ret)
        elif name=='pread64':
            fd=int(args.split(',')[0])
            if (pid,fd) in fds and int(ret)>0: c['pread']+=1
        elif name=='mmap':
            fd=int(args.split(', ')[4])
            if (pid,fd) in fds: c['mmap']+=1
        elif name=='close':
            fd=int(args)
            if (pid,fd) in fds: del fds[(pid,fd)]; c['close']+=1
    print(fn, dict(c), 'read_bytes', nbytes)
