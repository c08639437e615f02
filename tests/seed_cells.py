"""Every code cell of the five seed tutorials the lessons grew from, as written.

The tutorials are the text files listed in the lessons' README (their source:
/work/shared/seeds/ on the machines this project was made on). Cells are copied
character for character; tutorial 000's 4.1 example is dedented (it sits inside
a bullet list) and its one script is split at its banner comments, one cell per
idea; its API listing of `torch.autograd.backward(...)` (with the tutorial's
misspelt `gard_tensors`) is a cell too, dedented. Left out: the inline mention
`variable.backward(gradient=None, ...)` in 001's prose, which is not a code block.

tests/test_notebooks.py checks that each cell appears in a lesson and, where the
tutorials are on disk, that each cell really occurs in its tutorial.
"""

SEED_CELLS = {
    '000_16b12d1a36660901.txt': [
        '''\
#!/usr/bin/env python
# -*- coding: utf-8 -*-

"""
`autograd` package:
-------------------
跟踪 torch.Tensor 上所有的操作:torch.Tensor(requires_grad = True)
自动计算所有的梯度:.backward()
torch.Tensor 上的梯度:.grad
torch.Tensor 是否被跟踪:.requires_grad
停止跟踪 torch.Tensor 上的跟踪历史、未来的跟踪:.detach()

with torch.no_grad():
    pass

Function
.grad_fn
"""

import torch

# --------------------
# 创建 Tensor 时设置 requires_grad 跟踪前向计算
# --------------------
x = torch.ones(2, 2, requires_grad = True)
print("x:", x)

y = x + 2
print("y:", y)
print("y.grad_fn:", y.grad_fn)

z = y * y * 3
print("z:", z)
print("z.grad_fn", z.grad_fn)

out = z.mean()
print("out:", out)
print("out.grad_fn:", out.grad_fn)
out.backward()
print("x.grad:", x.grad)
''',
        '''\
# --------------------
# .requires_grad_() 能够改变一个已经存在的 Tensor 的 `requires_grad`
# --------------------
a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print("a.requires_grad", a.requires_grad)
a.requires_grad_(True)
print("a.requires_grad:", a.requires_grad)
b = (a * a).sum()
print("b.grad_fn", b.grad_fn)
''',
        '''\
# 梯度
x = torch.randn(3, requires_grad = True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
v = torch.tensor([0.1, 1.0, 0.0001], dtype = torch.float)
y.backward(v)
print(x.grad)
''',
        '''\
# .requires_grad
print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)
''',
        '''\
# .detach()
print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())
''',
        '''\
x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(w, x)
b = torch.add(w, 1)

y = torch.mul(a, b)

y.backward()
print(w.grad)
''',
        '''\
torch.autograd.backward(
   tensors,
   gard_tensors = None,
   retain_graph = None,
   create_graph = False
)
''',
    ],
    '001_c17695ba3ebeb67f.txt': [
        '''\
#pre
import torch as t
''',
        """\
a=t.randn(3,4,requires_grad=True)
'''
其他形式：
    a=t.randn(3,4).requires_grad_()

    a=t.randn(3,4)
    a.requires_grad=True
'''
print(a)
b=t.zeros(3,4).requires_grad_()
print(b)
""",
        '''\
c=a+b
print(c)
d = c.sum()
print(d)
print(d.backward()) # 反向传播
print(d.requires_grad)
''',
        '''\
print(a.grad) # 即对a求导

# 此处虽然没有指定c需要求导，但c依赖于a，而a需要求导，
# 因此c的requires_grad属性会自动设为True
print(a.requires_grad, b.requires_grad, c.requires_grad)
''',
        '''\
# 由用户创建的variable属于叶子节点，对应的grad_fn是None
print(a.is_leaf, b.is_leaf, c.is_leaf)

# c.grad是None, 因c不是叶子节点，它的梯度是用来计算a的梯度
# 所以虽然c.requires_grad = True,但其梯度计算完之后即被释放
print(c.grad is None)
''',
        '''\
a=t.randn(3,4,requires_grad=True)
''',
        '''\
x=t.ones(2,2,requires_grad=True)
print(x)
''',
    ],
    '002_4dc453239ac345a2.txt': [
        '''\
x  = 3
dy = 2*x
print('y对x的梯度:',dy) 
''',
        '''\
import torch 
x = torch.tensor([3],dtype=(float),requires_grad=True)   # 生成一个tensor数据x
y = x@x                                                  # 根据x计算y
y.backward()                                             # 将y反向传播
print('y对x的梯度:',x.grad)                               # 打印y对x的梯度
''',
        '''\
import torch 
x = torch.tensor([3],dtype=(float),requires_grad=True)   # 生成一个tensor数据x
''',
        '''\
y = x@x                                                  # 根据x计算y
z = 3*y                                                  # 根据y计算z
''',
        '''\
z.backward()                                             # 将y反向传播
''',
        '''\
print('z对x的梯度:',x.grad)   
''',
        '''\
import torch 
x = torch.tensor([3],dtype=(float),requires_grad=True)   # 生成一个tensor数据x
y = x@x                                                  # 根据x计算y
z = 3*y                                                  # 根据y计算z
z.backward()                                             # 将z反向传播
print('z对x的梯度:',x.grad)       
''',
    ],
    '003_e58dd96af1108921.txt': [
        '''\
x = torch.ones(2,2, requries_grad = True)
z = (x+2) * (x+2) * 3
out = z.mean()
''',
        '''\
out.backward()
x.grad
''',
    ],
    '004_6a046a34fe0ce8e2.txt': [
        '''\
import torch
# leaf variable 就是直接create的Tensor，他们不是其他操作的结果
x = torch.ones(2,2, requires_grad=True)
# 像x.t_() 这种in-place operation不能在requires_grad=True中使用
print(x)
''',
        '''\
y = x + 2
print(y)
''',
        '''\
# 所谓的grad_fn 就是创造这个Tensor的function
print(y.grad_fn)
''',
        '''\
print(y)
print(y.t_())
''',
        '''\
# 和TF一样，这里的相乘都是elementwise
# 假如这里将表达式改成z = y * y.t_() * 3 ，这里不会得到matrix相乘的结果，因为Tensor.t_()是一个in-place operation
# 所以在evaluate这个式子数值的时候也会将y改变，在这个expression中y与y.t_()是等效。
z = y * y * 3
# Tensor.mean() 等效于torch.mean()
out = z.mean()
print(z, out)
''',
        '''\
# 不同于torch.rand()，这里生成的是从N(0,1) Gaussian Distribution采样的Tensor
a = torch.randn(2,2)
a = ((a * 3) / (a - 1))
# requires_grad 这个flag by default 是 false的
print(a.requires_grad)
# Tensor.requires_grad_()能将Tensor.requires_grad这个flag改变，如True，就开始追踪，有grad_fn
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b)
print(b.grad_fn)
''',
        '''\
# Tensor.backward() 开始backpropagation
out.backward()
''',
        '''\
# 求出out对x的导数，因为x为一个矩阵，求出来的导数跟x形状一致
print(x.grad)
''',
        '''\
x = torch.randn(3, requires_grad=True)
# Tensor.data.norm()等于torch.norm(Tensor)，在默认情况下计算的是Forbenius Norm(matrix) 或者 L2 Norm(Vector)
y = x * 2
while y.data.norm() < 1000:
    print(y.data.norm(), y)
    y = y * 2
    
print(y)
''',
        '''\
# 这里y是一个向量， x也是一个向量，dy/dx应该是一个Jacobian矩阵， 但是若果y与x是更高维的Tensor，这里就无法给出导数的定义，
# 所以PyTorch规定，Tensor.backward()，若果backward中没有额外的参数就不能求导，只能求scalar对Tensor的导数
# 这里给出一个简单的例子，假设y也是一个中间变量，已知最终结果对y的求导结果为v，求最终结果对于x的求导
# 可以理解为(y_transpose * v)得到一个scalar后再到x求导，这里的v可以像上面一个理解为最终结果对y的求导，
# 也可以理解为对y各个分量求和的权重
v = torch.tensor([0.1, 1.0, 0.001], dtype=torch.float)
y.backward(v)
print(x.grad)
''',
        '''\
# x在上一个cell开了requires_grad，所以在它基础计算的Tensor自然也都是开了追踪
# 除非有no_grad()暂时把追踪关闭
print(x.requires_grad)
print((x**2).requires_grad)

with torch.no_grad():
    print((x**2).requires_grad)
''',
        '''\
# 或者使用Tensor.detach()，返回的值与x一样但是不再具有追踪功能
print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
# Tensor0.eq(Tensor1) 与torch.eq()一样，会返回一个elementwise的BoolTensor
# BoolTensor.all()会返回另一个boolTensor，如果BoolTensor全部都是True，它也返回一个True,否则只要有一个是False就返回一个False
print(x.eq(y).all())
''',
    ],
}
